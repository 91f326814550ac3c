export * from './auth';
export * from './sites';
export * from './content';
export * from './members';
export * from './discord';
export * from './mail';
export * from './revisions';
export * from './fediverse';
