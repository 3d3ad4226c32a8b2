/** The drag data type of a lead card, so a column accepts only lead cards. */
export const LEAD_DRAG_TYPE = 'application/x-fieldline-lead';
