/**
 * The media module: every image a site shows goes through here.
 *
 *   processUpload(site, kind, file, { altText, actor })  upload → WebP variants + asset row
 *   deleteAsset(siteId, assetId, { actor })              row, then objects; refused while in use
 *   requireSiteAsset / attachSiteImage                   form values naming an asset
 *   readUpload / uploadFailure                           form-action helpers (errors per field)
 *   mediaUrl / imageSrc / imageSrcset / imageAttrs       URLs at render time
 *   mediaStorage / useMediaStorage                       the storage driver (local or s3)
 *   sweepOrphans                                         objects without rows, rows without objects
 */
export { processUpload, ALT_TEXT_MAX, type UploadSite, type UploadOptions } from './upload';
export { deleteAsset, describeUses } from './delete';
export { requireSiteAsset, attachSiteImage, notInLibrary } from './attach';
export { readUpload, uploadFailure, type UploadField } from './form';
export { mediaUrl, absoluteMediaUrl, variantUrl, imageSrc, imageSrcset, imageAttrs, pickVariant, type ImageSource, type ImageAttrs } from './urls';
export { mediaStorage, useMediaStorage, type MediaStorage } from './storage';
export { VARIANT_WIDTHS } from './image';
export { sweepOrphans, type SweepReport } from './sweep';
