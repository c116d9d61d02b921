import Braze from "@braze/react-native-sdk";

export function onSignedUp(method) {
  Braze.logCustomEvent("account_created", { method });
}

export function onOnboardingDone(steps, skipped) {
  Braze.logCustomEvent("onboarding_completed", { step_count: steps, skipped });
  Braze.setCustomUserAttribute("onboarding_step", steps);
}

export function onPushPrompt(accepted) {
  Braze.logCustomEvent("push_prompt_answered", { accepted });
}

export function onCheckout(itemCount) {
  // Deliberate mistake: the old event name is still sent from the app (COD005: renamed to checkout_started).
  Braze.logCustomEvent("checkout_begun", { item_count: itemCount });
}

export function onProfile(firstName, pets) {
  Braze.setFirstName(firstName);
  Braze.setCustomUserAttribute("pets", [{ pet_name: "Rex", species: "dog", birth_year: 2019 }]);
  Braze.setCustomUserAttribute("referral_code", "SHOP1234");
}

export function onGiftCard(amount) {
  Braze.logPurchase("gift_card", String(amount), "EUR", 1, {});
}
