/** The application's version, shared by the server's health answer and the app's about box. */
export const APP_VERSION = '0.1.0';
