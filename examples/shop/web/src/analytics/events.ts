// Event names used by the web app, in one place (the scanner resolves these constants).
export const ShopEvents = {
  PRODUCT_VIEWED: "product_viewed",
  PRODUCT_SEARCHED: "product_searched",
  CART_ITEM_ADDED: "cart_item_added",
  CART_ITEM_REMOVED: "cart_item_removed",
  CHECKOUT_STARTED: "checkout_started",
} as const;

export enum Attributes {
  CartValue = "cart_value",
  FavoriteCategories = "favorite_categories",
}
