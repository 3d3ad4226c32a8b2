import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { parseRoute } from './app/router.ts';
import { askForBoardEarly } from './screens/pipeline/board-query.ts';
import { applyStoredTheme } from './app/theme.ts';
import './styles/theme.css';
import './styles/base.css';
import './styles/components.css';
import './styles/app.css';

applyStoredTheme();
askForBoardEarly(parseRoute(window.location.hash));

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
