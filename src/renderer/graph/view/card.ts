import { CARD_HEIGHT, CARD_WIDTH } from '../card-size';

/** A task card's size as the view's geometry takes it (a box's width and height), shared by the view's parts. */
export const CARD = { width: CARD_WIDTH, height: CARD_HEIGHT };
