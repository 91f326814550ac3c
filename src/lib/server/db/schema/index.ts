export * from './auth';
export * from './sites';
export * from './content';
export * from './members';
export * from './fediverse';
