/** The safe-name rules live in shared/ (the renderer shows an offer under the name it will be saved as). */
export * from '../../shared/model/safeName';
