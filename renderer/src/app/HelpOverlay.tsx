import { Dialog } from '../ui/index.ts';
import { shortcutHelp } from './shortcuts.ts';

export function HelpOverlay({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} title="Keyboard shortcuts" size="lg">
      <div className="shortcut-groups">
        {shortcutHelp.map((group) => (
          <section key={group.group} aria-label={group.group}>
            <h3 className="shortcut-group-title">{group.group}</h3>
            <dl className="shortcut-list">
              {group.items.map((item) => (
                <div key={item.does} className="shortcut-row">
                  <dt>
                    {item.keys.map((key, index) => (
                      <span key={key}>
                        {index > 0 ? <span className="faint"> then </span> : null}
                        <kbd>{key}</kbd>
                      </span>
                    ))}
                  </dt>
                  <dd>{item.does}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
      <p className="muted small">Shortcuts are off while you type in a field; Esc leaves it.</p>
    </Dialog>
  );
}
