/** A few line icons (24×24 strokes), inline so nothing loads from elsewhere. Decorative only. */
const paths = {
  pipeline: 'M4 5h4v14H4zM10 5h4v9h-4zM16 5h4v6h-4z',
  inbox: 'M4 13l2.5-7h11L20 13v6H4zM4 13h5l1 2h4l1-2h5',
  calls:
    'M6.6 3.5l2.6 3-1.7 2.3a11 11 0 0 0 5.7 5.7l2.3-1.7 3 2.6-1.6 3.1c-7.6-.4-13.3-6.1-13.7-13.7z',
  dashboard: 'M4 20V10M10 20V4M16 20v-7M22 20H2',
  campaigns: 'M4 10v4l10 4V6zM14 8h2a4 4 0 0 1 0 8h-2M6 14l1 5h3l-1-4',
  agents:
    'M9 3h6M12 3v3M5 9a3 3 0 0 1 3-3h8a3 3 0 0 1 3 3v7a3 3 0 0 1-3 3H8a3 3 0 0 1-3-3zM9 12h.01M15 12h.01M9.5 16h5',
  workflows: 'M6 4v6a4 4 0 0 0 4 4h4M6 4a2 2 0 1 0 0 .01M18 14a2 2 0 1 0 0 .01M6 20v-6',
  search: 'M11 4a7 7 0 1 0 0 14 7 7 0 0 0 0-14zM20 20l-4-4',
  plus: 'M12 5v14M5 12h14',
  sun: 'M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8zM12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4',
  moon: 'M20 14.5A8 8 0 0 1 9.5 4 8 8 0 1 0 20 14.5z',
  edits: 'M4 20h4L19 9l-4-4L4 16zM13.5 6.5l4 4',
  help: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .8-1 1.5v.7M12 17h.01',
  signOut: 'M15 4h3a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-3M10 16l-4-4 4-4M6 12h10',
  board: 'M4 4h6v16H4zM14 4h6v10h-6z',
  list: 'M8 6h12M8 12h12M8 18h12M4 6h.01M4 12h.01M4 18h.01',
  back: 'M15 18l-6-6 6-6',
  phone:
    'M6.6 3.5l2.6 3-1.7 2.3a11 11 0 0 0 5.7 5.7l2.3-1.7 3 2.6-1.6 3.1c-7.6-.4-13.3-6.1-13.7-13.7z',
  message: 'M4 5h16v11H9l-5 4z',
  note: 'M6 3h9l4 4v14H6zM14 3v5h5M9 13h7M9 17h5',
  status: 'M5 12l4 4L19 6',
} as const;

export type IconName = keyof typeof paths;

export function Icon({ name, size = 18 }: { name: IconName; size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      className="icon"
    >
      <path d={paths[name]} />
    </svg>
  );
}
