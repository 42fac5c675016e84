import { css } from 'lit';

/**
 * The widget's styles. Colours, spacing and focus follow the DSFR's tokens, as custom properties
 * (`--ao-*`) that the host page may override; the font is the host page's.
 */
export const styles = css`
  :host {
    --ao-background: #ffffff;
    --ao-surface: #f6f6f6;
    --ao-box: #ffffff;
    --ao-border: #dddddd;
    --ao-connector: #929292;
    --ao-text: #161616;
    --ao-muted: #666666;
    --ao-accent: #000091;
    --ao-accent-contrast: #ffffff;
    --ao-selected: #e3e3fd;
    --ao-error: #ce0500;
    --ao-error-surface: #ffe9e9;
    --ao-focus: #0a76f6;
    --ao-radius: 0.25rem;
    --ao-space-1: 0.25rem;
    --ao-space-2: 0.5rem;
    --ao-space-3: 0.75rem;
    --ao-space-4: 1rem;
    --ao-space-6: 1.5rem;
    --ao-height: 32rem;
    display: block;
    position: relative;
    color: var(--ao-text);
    background: var(--ao-background);
    border: 1px solid var(--ao-border);
    height: var(--ao-height);
    box-sizing: border-box;
    overflow: hidden;
    container-type: inline-size;
  }
  :host([theme='dark']) {
    --ao-background: #161616;
    --ao-surface: #242424;
    --ao-box: #1e1e1e;
    --ao-border: #353535;
    --ao-connector: #777777;
    --ao-text: #eeeeee;
    --ao-muted: #bbbbbb;
    --ao-accent: #8585f6;
    --ao-accent-contrast: #161616;
    --ao-selected: #1b1b35;
    --ao-error: #ff5655;
    --ao-error-surface: #3b1212;
    --ao-focus: #8585f6;
  }
  * {
    box-sizing: border-box;
  }
  button,
  input {
    font: inherit;
    color: inherit;
  }
  :focus-visible {
    outline: 2px solid var(--ao-focus);
    outline-offset: 2px;
  }
  .layout {
    display: flex;
    flex-direction: column;
    height: 100%;
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: var(--ao-space-2);
    align-items: center;
    padding: var(--ao-space-2);
    border-bottom: 1px solid var(--ao-border);
    background: var(--ao-surface);
  }
  .toolbar .spacer {
    flex: 1;
  }
  .btn {
    border: 1px solid var(--ao-accent);
    background: var(--ao-box);
    color: var(--ao-accent);
    border-radius: var(--ao-radius);
    padding: var(--ao-space-1) var(--ao-space-3);
    min-height: 2rem;
    cursor: pointer;
  }
  .btn.primary {
    background: var(--ao-accent);
    color: var(--ao-accent-contrast);
  }
  .btn[disabled] {
    opacity: 0.6;
    cursor: not-allowed;
  }
  .search {
    position: relative;
    display: flex;
    gap: var(--ao-space-2);
    align-items: center;
  }
  .search input {
    border: 0;
    border-bottom: 2px solid var(--ao-accent);
    border-radius: var(--ao-radius) var(--ao-radius) 0 0;
    background: var(--ao-box);
    padding: var(--ao-space-1) var(--ao-space-2);
    min-height: 2rem;
    width: 16rem;
    max-width: 60vw;
  }
  .listbox {
    position: absolute;
    top: 100%;
    left: 0;
    z-index: 3;
    margin: 0;
    padding: 0;
    list-style: none;
    min-width: 100%;
    max-height: 18rem;
    overflow: auto;
    background: var(--ao-box);
    border: 1px solid var(--ao-border);
    box-shadow: 0 2px 6px rgb(0 0 18 / 16%);
  }
  .listbox [role='option'] {
    padding: var(--ao-space-2) var(--ao-space-3);
    cursor: pointer;
  }
  .listbox [role='option'][aria-selected='true'] {
    background: var(--ao-selected);
    outline: 2px solid var(--ao-focus);
    outline-offset: -2px;
  }
  .option-path {
    display: block;
    font-size: 0.8em;
    color: var(--ao-muted);
  }
  .body {
    position: relative;
    flex: 1;
    min-height: 0;
  }
  .viewport {
    position: absolute;
    inset: 0;
    overflow: hidden;
    cursor: grab;
    touch-action: none;
  }
  .canvas {
    position: absolute;
    top: 0;
    left: 0;
    transform-origin: 0 0;
  }
  .links {
    position: absolute;
    top: 0;
    left: 0;
    overflow: visible;
  }
  .links path {
    fill: none;
    stroke: var(--ao-connector);
    stroke-width: 1.5px;
  }
  [role='tree'] {
    position: absolute;
    inset: 0;
  }
  .narrow [role='tree'] {
    position: static;
  }
  .node {
    position: absolute;
    top: 0;
    left: 0;
    width: 240px;
    height: 132px;
    padding: var(--ao-space-2) var(--ao-space-3);
    border: 1px solid var(--ao-border);
    border-top: 4px solid var(--ao-accent);
    border-radius: var(--ao-radius);
    background: var(--ao-box);
    cursor: pointer;
    overflow: hidden;
    transition: transform 200ms ease-out;
    font-size: 0.8rem;
    line-height: 1.3;
  }
  .node[aria-selected='true'] {
    background: var(--ao-selected);
    border-color: var(--ao-accent);
  }
  .kind {
    color: var(--ao-accent);
    font-weight: 700;
    text-transform: uppercase;
    font-size: 0.7rem;
  }
  .name {
    font-weight: 700;
    font-size: 0.875rem;
    display: -webkit-box;
    -webkit-line-clamp: 2;
    -webkit-box-orient: vertical;
    overflow: hidden;
  }
  .muted {
    color: var(--ao-muted);
  }
  .line {
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .toggle {
    position: absolute;
    right: var(--ao-space-2);
    bottom: var(--ao-space-2);
    width: 1.5rem;
    height: 1.5rem;
    line-height: 1.25rem;
    text-align: center;
    border: 1px solid var(--ao-accent);
    border-radius: 50%;
    color: var(--ao-accent);
    background: var(--ao-box);
    font-weight: 700;
  }
  .message {
    position: absolute;
    inset: 0;
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: var(--ao-space-4);
    padding: var(--ao-space-6);
    text-align: center;
  }
  .alert {
    position: absolute;
    left: var(--ao-space-2);
    right: var(--ao-space-2);
    top: var(--ao-space-2);
    z-index: 4;
    display: flex;
    gap: var(--ao-space-4);
    align-items: center;
    justify-content: space-between;
    padding: var(--ao-space-2) var(--ao-space-4);
    border-left: 4px solid var(--ao-error);
    background: var(--ao-error-surface);
  }
  .message.error p {
    padding: var(--ao-space-2) var(--ao-space-4);
    border-left: 4px solid var(--ao-error);
    background: var(--ao-error-surface);
  }
  .card {
    position: absolute;
    top: 0;
    right: 0;
    bottom: 0;
    z-index: 5;
    width: min(26rem, 100%);
    overflow: auto;
    padding: var(--ao-space-4) var(--ao-space-6);
    background: var(--ao-box);
    border-left: 1px solid var(--ao-border);
    box-shadow: -2px 0 8px rgb(0 0 18 / 16%);
  }
  .card h2 {
    font-size: 1.25rem;
    margin: 0 2.5rem var(--ao-space-2) 0;
  }
  .card h3 {
    font-size: 1rem;
    margin: var(--ao-space-4) 0 var(--ao-space-2);
    color: var(--ao-accent);
  }
  .card ul {
    margin: 0;
    padding-left: var(--ao-space-6);
  }
  .card .close {
    position: absolute;
    top: var(--ao-space-3);
    right: var(--ao-space-3);
  }
  .ref {
    display: inline-block;
    padding: 0 var(--ao-space-1);
    margin-left: var(--ao-space-1);
    border-radius: var(--ao-radius);
    background: var(--ao-selected);
    color: var(--ao-accent);
    font-size: 0.75rem;
    font-weight: 700;
  }
  .link {
    color: var(--ao-accent);
    background: none;
    border: 0;
    padding: 0;
    text-decoration: underline;
    cursor: pointer;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  .print {
    display: none;
  }
  /* Below 600 px: an indented list instead of the drawing. */
  .narrow .viewport {
    overflow: auto;
    cursor: auto;
    touch-action: auto;
  }
  .narrow .canvas {
    position: static;
    transform: none !important;
    width: auto !important;
    height: auto !important;
    padding: var(--ao-space-2);
  }
  .narrow .links,
  .narrow .zoom {
    display: none;
  }
  .narrow .node {
    position: relative;
    transform: none !important;
    width: auto;
    height: auto;
    margin: 0 0 var(--ao-space-2) calc((var(--level) - 1) * var(--ao-space-6));
    transition: none;
  }
  @media (prefers-reduced-motion: reduce) {
    .node,
    .canvas {
      transition: none !important;
    }
  }
  @media print {
    :host {
      height: auto;
      border: 0;
    }
    .toolbar,
    .body,
    .card,
    .alert {
      display: none !important;
    }
    .print {
      display: block;
    }
    .print svg {
      display: block;
      width: 100%;
      height: auto;
      max-height: 180mm;
    }
  }
`;
