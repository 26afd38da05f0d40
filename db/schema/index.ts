export * from "./organisations";
export * from "./auth";
export * from "./networks";
export * from "./audit";
export * from "./emails";
export * from "./meetings";
export * from "./meeting-series";
