/** Small line icons for the stop actions: SVG, because laptops in the field lack emoji fonts. */
const base = { width: 16, height: 16, viewBox: '0 0 24 24', 'aria-hidden': true, focusable: false } as const;
const stroke = { fill: 'none', stroke: 'currentColor', strokeWidth: 2, strokeLinecap: 'round', strokeLinejoin: 'round' } as const;

export const UpIcon = () => (
  <svg {...base}>
    <path {...stroke} d="M6 15l6-6 6 6" />
  </svg>
);
export const DownIcon = () => (
  <svg {...base}>
    <path {...stroke} d="M6 9l6 6 6-6" />
  </svg>
);
export const LockIcon = ({ locked }: { locked: boolean }) => (
  <svg {...base}>
    <rect {...stroke} x="5" y="11" width="14" height="10" rx="2" fill={locked ? 'currentColor' : 'none'} />
    <path {...stroke} d={locked ? 'M8 11V7a4 4 0 0 1 8 0v4' : 'M8 11V7a4 4 0 0 1 7.7-1.5'} />
  </svg>
);
export const NavigateIcon = () => (
  <svg {...base}>
    <path {...stroke} d="M3 11l18-8-8 18-2-8z" />
  </svg>
);
