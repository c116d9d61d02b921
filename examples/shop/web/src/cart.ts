import * as braze from "@braze/web-sdk";
import { Attributes, ShopEvents } from "./analytics/events";

export class CartTracker {
  added(productId: string, quantity: number, price: number): void {
    // Deliberate mistake: `qty` is not a declared property of cart_item_added (COD007), and the required
    // `quantity` is therefore missing (COD008).
    braze.logCustomEvent(ShopEvents.CART_ITEM_ADDED, { product_id: productId, qty: quantity, price });
    braze.getUser()?.setCustomUserAttribute(Attributes.CartValue, quantity * price);
  }

  removed(productId: string): void {
    braze.logCustomEvent(ShopEvents.CART_ITEM_REMOVED, { product_id: productId });
  }

  checkout(itemCount: number, cartValue: number): void {
    braze.logCustomEvent(ShopEvents.CHECKOUT_STARTED, { item_count: itemCount, cart_value: cartValue, currency: "EUR" });
  }

  paymentChosen(method: "card" | "paypal" | "invoice"): void {
    braze.logCustomEvent("payment_method_selected", { method });
  }

  subscribe(yearly: boolean): void {
    if (yearly) {
      braze.logPurchase("premium_yearly", 99.0, "EUR", 1, { coupon_code: "WELCOME10" });
    } else {
      braze.logPurchase("premium_monthly", 9.99, "EUR", 1, { payment_method: "card" });
    }
  }
}
