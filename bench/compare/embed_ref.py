"""PyTorch reference of byol4j's embedding (Backbone.embed), for `bench/run embed`.

The same backbone (resnets.py) with the same weights (read from the file EmbedBench writes: a JSON header line
naming each parameter's shape in byol4j's order, then float32 little-endian values), in eval mode under
torch.inference_mode(), embeds the same images (an IDX file scaled by 1/255, as byol4j's preprocessing at the
backbone's own size) in batches: eager, eager with channels-last activations, and TorchScript frozen and optimised
for inference (BatchNorm folded into the convolutions). Prints one JSON object: images/s of each (best of ROUNDS
passes over all images), the forward pass alone, and the largest difference from byol4j's embeddings.

Usage: python3 embed_ref.py BACKBONE CHANNELS PARAMS IDX_GZ JAVA_EMBEDDINGS THREADS BATCH ROUNDS
"""
import gzip
import json
import sys
import time

import numpy as np
import torch

from resnets import resnet


def idx_images(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, n, rows, cols = np.frombuffer(data[:16], dtype=">i4")
    if magic != 2051:
        raise SystemExit(f"{path}: not an IDX image file (magic {magic})")
    pixels = np.frombuffer(data[16:], dtype=np.uint8).reshape(n, 1, rows, cols)
    return torch.from_numpy(pixels.astype(np.float32) / 255.0)


def load_weights(model, path):
    with open(path, "rb") as f:
        header = json.loads(f.readline())
        values = np.frombuffer(f.read(), dtype="<f4")
    entries = [(k, v) for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")]
    if len(entries) != len(header):
        raise SystemExit(f"{path}: {len(header)} parameters, the reference network has {len(entries)}")
    state, offset = {}, 0
    for (key, tensor), (name, shape) in zip(entries, header):
        if list(tensor.shape) != shape:
            raise SystemExit(f"{path}: {name} has shape {shape}, the reference's {key} {list(tensor.shape)}")
        count = int(np.prod(shape))
        state[key] = torch.from_numpy(values[offset:offset + count].copy()).reshape(shape)
        offset += count
    model.load_state_dict(state, strict=False)


def rate(model, images, batch, rounds, channels_last=False):
    best = 0.0
    with torch.inference_mode():
        for _ in range(rounds + 1):  # the first pass warms up
            t0 = time.perf_counter()
            for start in range(0, len(images), batch):
                x = images[start:start + batch]
                if channels_last:
                    x = x.contiguous(memory_format=torch.channels_last)
                model(x)
            best = max(best, len(images) / (time.perf_counter() - t0))
    return best


def main():
    backbone, channels, params, idx, java, threads, batch, rounds = sys.argv[1:9]
    channels, threads, batch, rounds = int(channels), int(threads), int(batch), int(rounds)
    torch.set_num_threads(threads)
    model, dim = resnet(backbone, channels)
    load_weights(model, params)
    model.eval()
    images = idx_images(idx)
    with torch.inference_mode():
        ours = model(images[:1000]).numpy()
    theirs = np.fromfile(java, dtype="<f4").reshape(-1, dim)
    n = min(len(theirs), len(ours))
    result = dict(side="pytorch " + torch.__version__, threads=torch.get_num_threads(), batch=batch,
                  max_abs_diff=float(np.abs(ours[:n] - theirs[:n]).max()), compared=n,
                  max_abs_embedding=float(np.abs(ours[:n]).max()))
    result["eager"] = rate(model, images, batch, rounds)
    result["eager_channels_last"] = rate(model.to(memory_format=torch.channels_last), images, batch, rounds, True)
    model = model.to(memory_format=torch.contiguous_format)
    with torch.inference_mode():
        frozen = torch.jit.optimize_for_inference(torch.jit.freeze(torch.jit.trace(model, images[:batch])))
    result["torchscript_frozen"] = rate(frozen, images, batch, rounds)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
