// The checkout and account screens still written in Objective-C (some of them on the old AppboyKit API).
#import "SHPLegacyTracker.h"
#import "AppDelegate.h"
@import BrazeKit;

#define SHPEventReviewSubmitted @"review_submitted"
NSString *const SHPEventAddressAdded = @"address_added";

@implementation SHPLegacyTracker

- (void)trackReviewOf:(NSString *)productId rating:(NSInteger)rating {
  // Deliberate mistake: `stars` is not a declared property of review_submitted (COD007).
  [AppDelegate.braze logCustomEvent:SHPEventReviewSubmitted
                         properties:@{@"product_id": productId, @"rating": @(rating), @"stars": @(rating)}];
}

- (void)trackAddressAdded:(BOOL)isDefault {
  [AppDelegate.braze logCustomEvent:SHPEventAddressAdded properties:@{@"is_default": @(isDefault)}];
  [AppDelegate.braze.user setNestedCustomAttributeDictionaryWithKey:@"shipping_address"
                                                              value:@{@"city": @"Paris", @"postal_code": @"75001"}
                                                              merge:YES];
}

- (void)trackCheckoutWithItems:(NSInteger)count {
  // Deliberate mistake: the old event name is still sent from the legacy screen (COD005: renamed to checkout_started).
  [[Appboy sharedInstance] logCustomEvent:@"checkout_begun" withProperties:@{@"item_count": @(count)}];
}

- (void)trackWeeklyPass:(NSDecimalNumber *)price {
  // Deliberate mistake: `premium_weekly` is not a declared product (COD003).
  [[Appboy sharedInstance] logPurchase:@"premium_weekly" inCurrency:@"EUR" atPrice:price];
}

- (void)updateProfileWithEmail:(NSString *)email {
  ABKUser *user = [Appboy sharedInstance].user;
  user.email = email;
  [user setCustomAttributeWithKey:@"vip_tier" andStringValue:@"gold"];
  [user incrementCustomUserAttribute:@"lifetime_orders" by:1];
}

@end
