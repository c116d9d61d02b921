import 'package:braze_plugin/braze_plugin.dart';

/// Event names sent by the Flutter app (see taxonomy.yaml).
class ShopEvents {
  static const productViewed = 'product_viewed';
  static const productFavorited = 'product_favorited';
  static const cartItemAdded = 'cart_item_added';
  static const onboardingCompleted = 'onboarding_completed';
}

class ShopAnalytics {
  ShopAnalytics(this._braze);

  final BrazePlugin _braze;

  void viewed(String productId, String category, double price) {
    _braze.logCustomEvent(ShopEvents.productViewed,
        properties: {'product_id': productId, 'category': category, 'price': price, 'source': 'deeplink'});
  }

  void favorited(String productId) {
    _braze.logCustomEvent(ShopEvents.productFavorited, properties: {'product_id': productId});
  }

  void addedToCart(String productId, int quantity) {
    // Deliberate mistake: `qty` is not a declared property, and the required `quantity` is missing (COD007, COD008).
    _braze.logCustomEvent(ShopEvents.cartItemAdded, properties: {'product_id': productId, 'qty': quantity});
  }

  void onboardingDone(int steps) {
    _braze.logCustomEvent(ShopEvents.onboardingCompleted, properties: {'step_count': steps, 'skipped': false});
    _braze.setIntCustomUserAttribute('onboarding_step', steps);
  }

  void giftCard(double amount) {
    _braze.logPurchase('gift_card', 'EUR', amount, 1, properties: {'coupon_code': 'XMAS'});
  }

  void profile(String firstName) {
    _braze.setFirstName(firstName);
    // Deliberate mistake: `sepia` is not one of the allowed values of app_theme (COD010).
    _braze.setStringCustomUserAttribute('app_theme', 'sepia');
    _braze.setCustomUserAttributeArrayOfObjects('pets', [
      {'pet_name': 'Rex', 'species': 'dog', 'birth_year': 2019}
    ]);
    // Deliberate mistake: a deprecated attribute is still set (COD005).
    _braze.setStringCustomUserAttribute('legacy_segment', 'loyal');
    // Deliberate mistake: lifetime_orders is declared integer, a double is sent (COD009).
    _braze.setDoubleCustomUserAttribute('lifetime_orders', 2.5);
  }
}
