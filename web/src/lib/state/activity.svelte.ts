/** What the till is busy with, for decisions such as "not now" for an update. */
export const activity = $state({ paymentInFlight: false, online: navigator.onLine });

addEventListener('online', () => (activity.online = true));
addEventListener('offline', () => (activity.online = false));
