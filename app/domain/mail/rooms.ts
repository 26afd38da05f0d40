export const MAIL_ROOM = "admin:mail";
