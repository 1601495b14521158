import { PRODUCT_COLORS, type ProductColor } from '../../../shared/product.js';

// The quick keys' palette: a strong shade (the key's edge, the swatch) and a pale one (its face),
// so a name on any key keeps its contrast.

export const COLOR_SHADES: Readonly<Record<ProductColor, { readonly strong: string; readonly pale: string }>> = {
  slate: { strong: '#475569', pale: '#f1f5f9' },
  red: { strong: '#b91c1c', pale: '#fde8e8' },
  orange: { strong: '#c2410c', pale: '#ffedd5' },
  amber: { strong: '#a16207', pale: '#fef3c7' },
  green: { strong: '#15803d', pale: '#dcfce7' },
  teal: { strong: '#0f766e', pale: '#ccfbf1' },
  blue: { strong: '#1d4ed8', pale: '#dbeafe' },
  purple: { strong: '#7e22ce', pale: '#f3e8ff' },
  pink: { strong: '#be185d', pale: '#fce7f3' },
};

export { PRODUCT_COLORS };

/** The inline style of a product's quick key: its colour's edge and face; none without a colour. */
export function productKeyStyle(color: ProductColor | undefined): string | undefined {
  if (!color) return undefined;
  const shade = COLOR_SHADES[color];
  return shade ? `border-left: 0.5rem solid ${shade.strong}; background: ${shade.pale}` : undefined;
}
