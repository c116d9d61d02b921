package com.shop.analytics

import android.content.Context
import com.braze.Braze
import com.braze.models.outgoing.BrazeProperties
import java.math.BigDecimal
import java.util.Date
import javax.inject.Inject
import javax.inject.Singleton

object ShopEvents {
    const val PRODUCT_VIEWED = "product_viewed"
    const val CART_ITEM_ADDED = "cart_item_added"
}

enum class Theme(val wire: String) {
    LIGHT("light"),
    DARK("dark"),
}

@Singleton
class ShopAnalytics @Inject constructor(private val context: Context) {
    @Inject lateinit var braze: Braze

    fun productViewed(sku: String, price: Double) {
        braze.logCustomEvent(
            ShopEvents.PRODUCT_VIEWED,
            BrazeProperties().addProperty("product_id", sku).addProperty("price", price).addProperty("source", "search"),
        )
    }

    fun cartItemAdded(sku: String) {
        // Deliberate mistake: quantity is declared integer, the literal is a string (COD009).
        braze.logCustomEvent(
            ShopEvents.CART_ITEM_ADDED,
            BrazeProperties().addProperty("product_id", sku).addProperty("quantity", "1"),
        )
    }

    fun cartItemRemoved(sku: String) {
        // Deliberate mistake: a case variant of cart_item_removed is a different event in Braze (COD001).
        braze.logCustomEvent("Cart_Item_Removed", BrazeProperties().addProperty("product_id", sku))
    }

    fun checkoutStarted(items: Int) {
        // Deliberate mistake: the pre-4.0 name is still sent (COD005: renamed to checkout_started).
        Braze.getInstance(context).logCustomEvent("checkout_begun", BrazeProperties().addProperty("item_count", items))
    }

    fun subscribed() {
        // Deliberate mistake: premium_weekly is not a declared product (COD003). Currency comes before the price.
        braze.logPurchase("premium_weekly", "EUR", BigDecimal("2.99"), 1)
        braze.logPurchase("premium_monthly", "EUR", BigDecimal("9.99"), 1, BrazeProperties().addProperty("coupon_code", "WELCOME"))
    }

    fun profile(theme: Theme, orders: Int) {
        braze.currentUser?.let { user ->
            user.setCustomUserAttribute("app_theme", theme.wire)
            user.setCustomUserAttribute("lifetime_orders", orders)
            user.setCustomUserAttributeToNow("last_order_at")
        }
        braze.currentUser?.apply {
            setCustomUserAttribute("marketing_opt_in", true)
            addToCustomAttributeArray("favorite_categories", "shoes")
        }
    }
}
