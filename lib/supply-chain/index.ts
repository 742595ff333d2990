export * from './image-signature-policy';
