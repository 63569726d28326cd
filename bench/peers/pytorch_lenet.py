#!/usr/bin/env python3
"""The PyTorch peer of `lenet bench`: the same LeNet recipes in plain PyTorch, on the CPU.

Trains on Fashion-MNIST read from its four IDX files and prints one JSON line on standard output
(progress per epoch goes to standard error). Training throughput counts the training loop only:
taking a batch, forward, backward, the SGD step and the running loss and accuracy; loading the
data and evaluating the test set are timed apart.

Recipes (Dive into Deep Learning, the LeNet and batch-normalization chapters):
  classic    conv 6@5x5 (padding 2), sigmoid, 2x2 average pool, conv 16@5x5, sigmoid, 2x2 average
             pool, dense 120, sigmoid, dense 84, sigmoid, dense 10; SGD lr 0.9
  batchnorm  conv 6@5x5, batch norm, sigmoid, pool, conv 16@5x5, batch norm, sigmoid, pool,
             dense 120, batch norm, sigmoid, dense 84, batch norm, sigmoid, dense 10; SGD lr 1.0
and this project's third network (lenet's --net modern, LeNet.modern()):
  modern     the classic layout with ReLU, 2x2 max pool, and dropout 0.5 after both hidden dense
             layers; SGD lr 0.1
All: Xavier-uniform weights for convolutions and dense layers (biases keep PyTorch's default
initialization, as the book's training function does), batch 256,
cross-entropy loss, pixels scaled to [0, 1], a fresh shuffle every epoch.

Needs (Debian): python3-torch python3-numpy libopenblas0-pthread. Run it with /usr/bin/python3.
"""

import argparse
import gzip
import json
import os
import resource
import struct
import sys
import time

DEFAULT_DATA = "/usr/share/datasets/fashion-mnist"
LEARNING_RATES = {"classic": 0.9, "batchnorm": 1.0, "modern": 0.1}
FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--variant", choices=sorted(LEARNING_RATES), default="classic",
                   help="the recipe (default: classic)")
    p.add_argument("--epochs", type=int, default=10, help="epochs to train (default: 10)")
    p.add_argument("--batch", type=int, default=256, help="batch size (default: 256)")
    p.add_argument("--lr", type=float, default=None,
                   help="learning rate (default: the recipe's: 0.9 classic, 1.0 batchnorm, 0.1 modern)")
    p.add_argument("--threads", type=int, default=2, help="torch intra-op threads (default: 2)")
    p.add_argument("--blas-threads", type=int, default=1,
                   help="BLAS threads (default: 1; more fight torch's own threads)")
    p.add_argument("--data", default=DEFAULT_DATA,
                   help=f"directory with the four IDX files, .gz or not (default: {DEFAULT_DATA})")
    p.add_argument("--seed", type=int, default=0, help="seeds weights and shuffling (default: 0)")
    args = p.parse_args(argv)
    for name in ("epochs", "batch", "threads", "blas_threads"):
        if getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1, found {getattr(args, name)}")
    if args.lr is None:
        args.lr = LEARNING_RATES[args.variant]
    return args


def idx_path(directory, stem):
    for name in (stem + ".gz", stem):
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            return path
    sys.exit(f"pytorch_lenet.py: {directory} has neither {stem}.gz nor {stem}; give --data DIR")


def read_idx(path, dims):
    """The IDX file's unsigned bytes as a numpy array with `dims` dimensions."""
    import numpy as np

    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    if len(raw) < 4 + 4 * dims:
        sys.exit(f"pytorch_lenet.py: {path}: too short for an IDX header")
    zero, kind, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or kind != 0x08 or ndim != dims:
        sys.exit(f"pytorch_lenet.py: {path}: expected unsigned-byte IDX data with {dims} "
                 f"dimension(s), found type 0x{kind:02x} with {ndim}")
    shape = struct.unpack(">" + "I" * dims, raw[4:4 + 4 * dims])
    body = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims)
    count = 1
    for d in shape:
        count *= d
    if body.size != count:
        sys.exit(f"pytorch_lenet.py: {path}: header says {shape}, file holds {body.size} bytes")
    return body.reshape(shape)


def load(directory):
    """(train images, train labels, test images, test labels) as tensors; images N x 1 x H x W."""
    import torch

    def images(stem):
        pixels = read_idx(idx_path(directory, FILES[stem]), 3)
        return torch.from_numpy(pixels.astype("float32") / 255.0).unsqueeze(1)

    def labels(stem):
        return torch.from_numpy(read_idx(idx_path(directory, FILES[stem]), 1).astype("int64"))

    return (images("train_images"), labels("train_labels"),
            images("test_images"), labels("test_labels"))


def network(variant):
    from torch import nn

    if variant == "classic":
        layers = [
            nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(),
            nn.AvgPool2d(kernel_size=2, stride=2),
            nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(),
            nn.AvgPool2d(kernel_size=2, stride=2),
            nn.Flatten(),
            nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(),
            nn.Linear(120, 84), nn.Sigmoid(),
            nn.Linear(84, 10),
        ]
    elif variant == "modern":
        layers = [
            nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),
            nn.Conv2d(6, 16, kernel_size=5), nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),
            nn.Flatten(),
            nn.Linear(16 * 5 * 5, 120), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(120, 84), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(84, 10),
        ]
    else:
        layers = [
            nn.Conv2d(1, 6, kernel_size=5), nn.BatchNorm2d(6), nn.Sigmoid(),
            nn.AvgPool2d(kernel_size=2, stride=2),
            nn.Conv2d(6, 16, kernel_size=5), nn.BatchNorm2d(16), nn.Sigmoid(),
            nn.AvgPool2d(kernel_size=2, stride=2),
            nn.Flatten(),
            nn.Linear(16 * 4 * 4, 120), nn.BatchNorm1d(120), nn.Sigmoid(),
            nn.Linear(120, 84), nn.BatchNorm1d(84), nn.Sigmoid(),
            nn.Linear(84, 10),
        ]
    net = nn.Sequential(*layers)
    for layer in net:
        if isinstance(layer, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(layer.weight)
    return net


def accuracy(net, images, labels, batch):
    import torch

    net.eval()
    correct = 0
    with torch.no_grad():
        for start in range(0, len(labels), batch):
            logits = net(images[start:start + batch])
            correct += int((logits.argmax(dim=1) == labels[start:start + batch]).sum())
    return correct / len(labels)


def blas_in_use():
    """The BLAS library mapped into this process (Debian picks it through alternatives)."""
    try:
        with open("/proc/self/maps") as maps:
            names = {line.rsplit("/", 1)[-1].strip() for line in maps if "blas" in line}
    except OSError:
        return "unknown"
    return ", ".join(sorted(names)) or "none"


def main(argv):
    args = parse_args(argv)
    # Read by OpenBLAS when it loads, so before torch is imported.
    os.environ["OPENBLAS_NUM_THREADS"] = str(args.blas_threads)
    os.environ["OMP_NUM_THREADS"] = str(args.threads)
    import torch
    from torch import nn

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    shuffle = torch.Generator().manual_seed(args.seed)

    start = time.perf_counter()
    train_x, train_y, test_x, test_y = load(args.data)
    load_seconds = time.perf_counter() - start

    net = network(args.variant)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(net.parameters(), lr=args.lr)
    n = len(train_y)
    per_epoch = []
    train_seconds = 0.0
    first_step_seconds = None
    for epoch in range(args.epochs):
        net.train()
        order = torch.randperm(n, generator=shuffle)
        loss_sum, correct = 0.0, 0
        t0 = time.perf_counter()
        for begin in range(0, n, args.batch):
            idx = order[begin:begin + args.batch]
            x, y = train_x[idx], train_y[idx]
            optimizer.zero_grad(set_to_none=True)
            logits = net(x)
            loss = loss_fn(logits, y)
            loss.backward()
            optimizer.step()
            loss_sum += float(loss) * len(y)
            correct += int((logits.argmax(dim=1) == y).sum())
            if first_step_seconds is None:
                first_step_seconds = time.perf_counter() - t0
        seconds = time.perf_counter() - t0
        train_seconds += seconds
        t1 = time.perf_counter()
        test_acc = accuracy(net, test_x, test_y, args.batch)
        record = {"loss": round(loss_sum / n, 4), "train_acc": round(correct / n, 4),
                  "test_acc": round(test_acc, 4), "seconds": round(seconds, 3),
                  "test_seconds": round(time.perf_counter() - t1, 3)}
        per_epoch.append(record)
        print(f"epoch {epoch + 1} {json.dumps(record)}", file=sys.stderr, flush=True)

    print(json.dumps({
        "impl": "pytorch",
        "script": "bench/peers/pytorch_lenet.py",
        "variant": args.variant,
        "epochs": args.epochs,
        "batch": args.batch,
        "lr": args.lr,
        "seed": args.seed,
        "train_examples_per_sec": round(n * args.epochs / train_seconds, 1),
        "first_step_seconds": round(first_step_seconds, 4),
        "load_seconds": round(load_seconds, 3),
        "per_epoch": per_epoch,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "blas": blas_in_use(),
        "blas_threads": args.blas_threads,
        "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
