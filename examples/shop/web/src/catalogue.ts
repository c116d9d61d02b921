import * as braze from "@braze/web-sdk";
import { ShopEvents } from "./analytics/events";

export interface Product {
  id: string;
  category: string;
  price: number;
}

export function trackProductView(product: Product, source: "search" | "recommendation"): void {
  braze.logCustomEvent(ShopEvents.PRODUCT_VIEWED, {
    product_id: product.id,
    category: product.category,
    price: product.price,
    source,
  });
}

export function trackSearch(query: string, results: Product[]): void {
  braze.logCustomEvent(ShopEvents.PRODUCT_SEARCHED, { query_length: query.length, result_count: results.length });
}

export function trackFavorite(product: Product): void {
  // Deliberate mistake: a typo in the event name (COD001, with a did-you-mean).
  braze.logCustomEvent("product_favorite", { product_id: product.id });
  braze.getUser()?.addToCustomAttributeArray("favorite_categories", product.category);
}

export function trackReview(product: Product, rating: number, text: string): void {
  braze.logCustomEvent("review_submitted", { product_id: product.id, rating, has_text: text.length > 0 });
}

export function trackFilter(filterName: string): void {
  // Deliberate mistake: a name built at run time cannot be checked (COD012, informational).
  braze.logCustomEvent(`filter_${filterName}_applied`);
}
