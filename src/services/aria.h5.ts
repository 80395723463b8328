// The browser build renders aria-* attributes as they are; nothing to register.
export {}
