import type { ReactNode } from 'react';

/** A screen's frame: its title (the page's one h1), actions on the right, then the content. */
export function Page({
  title,
  subtitle,
  actions,
  children,
  className,
  testId,
}: {
  title: string;
  subtitle?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  return (
    <section
      className={`page ${className ?? ''}`}
      aria-labelledby="page-title"
      data-testid={testId}
    >
      <div className="page-header">
        <div>
          <h1 id="page-title" className="page-title">
            {title}
          </h1>
          {subtitle ? <p className="page-subtitle">{subtitle}</p> : null}
        </div>
        {actions ? <div className="page-actions">{actions}</div> : null}
      </div>
      <div className="page-body">{children}</div>
    </section>
  );
}

/** A bordered surface for a group of content (a KPI, a form section, a table). */
export function Panel({
  title,
  actions,
  children,
  className,
}: {
  title?: string;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section className={`panel ${className ?? ''}`}>
      {title || actions ? (
        <div className="panel-header">
          {title ? <h2 className="panel-title">{title}</h2> : <span />}
          {actions}
        </div>
      ) : null}
      <div className="panel-body">{children}</div>
    </section>
  );
}
