import React from "react";
import * as braze from "@braze/web-sdk";

export function SettingsPage({ userId }: { userId: string }) {
  const onLogin = () => {
    braze.changeUser(userId);
    braze.getUser()?.setEmail(`${userId}@example.com`);
  };
  const onTheme = (theme: "light" | "dark" | "system") => braze.getUser()?.setCustomUserAttribute("app_theme", theme);
  const onOptIn = (accepted: boolean) => braze.getUser()?.setCustomUserAttribute("marketing_opt_in", accepted);
  const onDelete = () => {
    braze.logCustomEvent("account_deleted");
    braze.requestImmediateDataFlush();
  };
  const onPassword = () => braze.logCustomEvent("password_reset");
  const onAddress = (isDefault: boolean) => {
    braze.logCustomEvent("address_added", { is_default: isDefault });
    braze.getUser()?.setCustomUserAttribute("shipping_address", { city: "Lyon", postal_code: "69001", country_code: "FR" });
  };
  const onShare = () => {
    braze.logCustomEvent("referral_sent", { channel: "link" });
    braze.getUser()?.incrementCustomUserAttribute("referrals_sent", 1);
  };
  return (
    <div>
      <button onClick={onLogin}>Log in</button>
      <button onClick={() => onTheme("dark")}>Dark</button>
      <button onClick={() => onOptIn(true)}>Opt in</button>
      <button onClick={onDelete}>Delete account</button>
      <button onClick={onPassword}>Reset password</button>
      <button onClick={() => onAddress(true)}>Save address</button>
      <button onClick={onShare}>Share</button>
    </div>
  );
}
