/**
 * The media module: every image a site shows goes through here.
 *
 *   processUpload(site, kind, file, { altText, actor })  upload → WebP variants + asset row
 *   deleteAsset(siteId, assetId, { actor })              row, then objects; refused while in use
 *   requireSiteAsset / attachSiteImage                   form values naming an asset
 *   readUpload / uploadFailure                           form-action helpers (errors per field)
 *   (URLs at render time: src/lib/media-url.ts with server/media-base.ts)
 *   mediaStorage / useMediaStorage                       the storage driver (local or s3)
 *   sweepOrphans                                         objects without rows, rows without objects
 */
export { processUpload, ALT_TEXT_MAX, type UploadSite, type UploadOptions } from './upload';
export { deleteAsset, describeUses } from './delete';
export { requireSiteAsset, attachSiteImage, notInLibrary } from './attach';
export { readUpload, uploadFailure, type UploadField } from './form';
export { mediaStorage, useMediaStorage, type MediaStorage } from './storage';
export { VARIANT_WIDTHS } from './image';
export { sweepOrphans, type SweepReport } from './sweep';
