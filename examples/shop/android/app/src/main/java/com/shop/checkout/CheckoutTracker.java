package com.shop.checkout;

import android.content.Context;
import com.braze.Braze;
import com.braze.BrazeUser;
import com.braze.models.outgoing.BrazeProperties;

public final class CheckoutTracker {
    public static final String PAYMENT_METHOD_SELECTED = "payment_method_selected";

    private final Context context;

    public CheckoutTracker(Context context) {
        this.context = context;
    }

    public void paymentMethodSelected(String method) {
        Braze.getInstance(context).logCustomEvent(PAYMENT_METHOD_SELECTED, new BrazeProperties().addProperty("method", method));
    }

    public void productViewed(String sku, double price) {
        // Deliberate mistake: `prce` is not a declared property of product_viewed (COD007).
        Braze.getInstance(context).logCustomEvent("product_viewed", new BrazeProperties().addProperty("product_id", sku).addProperty("prce", price));
    }

    public void loyalty() {
        BrazeUser user = Braze.getInstance(context).getCurrentUser();
        if (user != null) {
            // Deliberate mistake: `platinum` is not one of vip_tier's values (COD010).
            user.setCustomUserAttribute("vip_tier", "platinum");
            user.incrementCustomUserAttribute("lifetime_orders", 1);
        }
    }
}
