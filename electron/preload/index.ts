/**
 * The preload: sandboxed, context-isolated, bundled to CommonJS (electron.vite.config.ts). It
 * exposes `window.fieldline` — a DesktopBridge — and nothing else: no ipcRenderer, no port. Calls
 * go straight to the local core over a MessagePort main hands over; the preload checks only the
 * channel name (the core validates every argument).
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { DesktopBridge } from '../../db/wire/desktop-api.ts';
import { createBridgeClient, portNoticeSchema } from '../main/bridge-client.ts';
import { ipcChannels } from '../main/process-wire.ts';

/** The DOM MessagePort main sends (typed here: the preload is compiled without the DOM lib). */
interface RendererPort {
  onmessage: ((message: { data: unknown }) => void) | null;
  postMessage(message: unknown): void;
  start(): void;
  close(): void;
}

const client = createBridgeClient();

ipcRenderer.on(ipcChannels.port, (event, notice: unknown) => {
  const parsed = portNoticeSchema.safeParse(notice);
  if (!parsed.success) return;
  if (parsed.data.state !== 'connected') {
    client.detach(parsed.data);
    return;
  }
  const port = (event.ports as unknown as RendererPort[])[0];
  if (!port) return;
  port.onmessage = (message: { data: unknown }) => client.receive(message.data);
  client.attach({ send: (message) => port.postMessage(message), close: () => port.close() });
  port.start();
});

ipcRenderer.on(ipcChannels.command, (_event, command: unknown) => client.command(command));

// Ask for a port now: the page may call before it finishes loading (calls wait in the client).
ipcRenderer.send(ipcChannels.portRequest);

const fieldline: DesktopBridge = {
  invoke: (channel, args) => client.bridge.invoke(channel, args),
  subscribe: (listener) => client.bridge.subscribe(listener),
};

contextBridge.exposeInMainWorld('fieldline', fieldline);
