import BrazeKit
import Foundation

/// Everything the iOS app tells Braze, in one place.
final class ShopAnalytics {
    static let shared = ShopAnalytics()

    private var braze: Braze? { AppDelegate.braze }

    func signedUp(userId: String, method: String) {
        braze?.changeUser(userId: userId)
        braze?.logCustomEvent(name: ShopEvent.account_created.rawValue, properties: ["method": method])
    }

    func viewed(product: Product, source: String) {
        braze?.logCustomEvent(
            name: ShopEvent.productViewed.rawValue,
            properties: ["product_id": product.id, "category": product.category, "price": product.price, "source": source]
        )
    }

    func searched(query: String, resultCount: Int) {
        braze?.logCustomEvent(
            name: ShopEvent.productSearched.rawValue,
            properties: ["query_length": query.count, "result_count": resultCount]
        )
    }

    func addedToCart(product: Product) {
        // Deliberate mistake: quantity is declared integer but a string literal is sent (COD009).
        braze?.logCustomEvent(
            name: ShopEvent.cartItemAdded.rawValue,
            properties: ["product_id": product.id, "quantity": "1", "price": product.price]
        )
    }

    func removedFromCart(product: Product) {
        braze?.logCustomEvent(name: ShopEvent.cartItemRemoved.rawValue, properties: ["product_id": product.id])
    }

    func startedCheckout(itemCount: Int, cartValue: Double) {
        // Deliberate mistake: the event name differs from the declared one only by case (COD001, did you mean).
        braze?.logCustomEvent(name: "Checkout_Started", properties: ["item_count": itemCount, "cart_value": cartValue])
        braze?.user.setCustomAttribute(key: "cart_value", value: cartValue)
    }

    func selectedPayment(method: String) {
        braze?.logCustomEvent(name: ShopEvent.paymentMethodSelected.rawValue, properties: ["method": method])
    }

    func subscribed(price: Double) {
        braze?.logPurchase(productId: "premium_monthly", currency: "EUR", price: price, quantity: 1,
                           properties: ["payment_method": "apple_pay"])
    }

    func preferences(theme: String, categories: [String], optIn: Bool) {
        guard let user = braze?.user else { return }
        user.setCustomAttribute(key: ShopAttribute.appTheme, value: theme)
        user.setCustomAttribute(key: ShopAttribute.favoriteCategories, array: categories)
        user.setCustomAttribute(key: "marketing_opt_in", value: optIn)
        user.set(email: "ada@example.com")
        user.set(firstName: "Ada")
    }

    func pushPrompt(accepted: Bool) {
        braze?.logCustomEvent(name: "push_prompt_answered", properties: ["accepted": accepted])
    }
}
