export * from './auth';
export * from './sites';
export * from './media';
export * from './content';
export * from './members';
