/** Task cards have a fixed size so the layout can place them before they are rendered. */
export const CARD_WIDTH = 240;
export const CARD_HEIGHT = 92;
