using System.Collections.Generic;
using Appboy;
using UnityEngine;

namespace Shop
{
    public static class ShopEvents
    {
        public const string AccountCreated = "account_created";
        public static readonly string ReviewSubmitted = "review_submitted";
    }

    public class ShopAnalytics : MonoBehaviour
    {
        public void OnSignedUp(string method)
        {
            AppboyBinding.LogCustomEvent(ShopEvents.AccountCreated, new Dictionary<string, object> { { "method", method } });
        }

        public void OnReview(string productId, int rating)
        {
            AppboyBinding.LogCustomEvent(ShopEvents.ReviewSubmitted, new Dictionary<string, object>
            {
                ["product_id"] = productId,
                ["rating"] = rating,
            });
        }

        public void OnGiftCard(decimal amount)
        {
            // Deliberate mistake: the product id is `gift_card` (COD003). Currency comes before the price.
            AppboyBinding.LogPurchase("gift_cards", "EUR", amount, 1, new Dictionary<string, object> { { "payment_method", "card" } });
        }

        public void OnProfile(string email, double value)
        {
            AppboyBinding.SetUserEmail(email);
            AppboyBinding.SetCustomUserAttribute("lifetime_value", value);
            // Deliberate mistake: lifetime_orders is declared integer, the literal is a string (COD009).
            AppboyBinding.SetCustomUserAttribute("lifetime_orders", "3");
            // Deliberate mistake: `email` is a standard profile field, not a custom attribute (COD011).
            AppboyBinding.SetCustomUserAttribute("email", email);
        }
    }
}
