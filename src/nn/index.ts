export { Module } from './module.js';
export { Linear, ReLU, Dropout, Sequential } from './layers.js';
export { Adam, SGD, Optimizer, type AdamOptions, type SgdOptions } from './optim.js';
export { Random } from './random.js';
export { defaultWeight, defaultBias, uniformTensor, fanIn } from './init.js';
export { encodeSafetensors, decodeSafetensors, loadStateDict, moduleTensors, isCounter, type SafetensorsFile, type TensorEntry, type TensorToWrite, type LoadOptions, type SafeDType } from './safetensors.js';
