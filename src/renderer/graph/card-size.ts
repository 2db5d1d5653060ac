/** Task cards have a fixed size so the layout can place them before they are rendered. */
export const CARD_WIDTH = 232;
export const CARD_HEIGHT = 96;
