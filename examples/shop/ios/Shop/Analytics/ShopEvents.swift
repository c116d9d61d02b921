import Foundation

/// Custom event names sent by the iOS app (see taxonomy.yaml).
enum ShopEvent: String {
    case productViewed = "product_viewed"
    case productSearched = "product_searched"
    case cartItemAdded = "cart_item_added"
    case cartItemRemoved = "cart_item_removed"
    case paymentMethodSelected = "payment_method_selected"
    case account_created
}

enum ShopAttribute {
    static let appTheme = "app_theme"
    static let favoriteCategories = "favorite_categories"
}
