"""Transfer learning in the style of the "ants and bees" tutorial: a torchvision resnet18 whose
backbone is frozen and whose last layer is replaced and fine-tuned, with transforms.v2
augmentation, an ImageFolder dataset and TensorBoard logging (SummaryWriter).

When --data has no train/ and val/ folders, a small two-class stand-in is generated there as
PNG files (ants are reddish, bees yellowish). The backbone starts from torchvision's random
initialisation after the seed, or from a resnet18 state_dict given with --weights.

    python -m jtorch run examples/transfer_learning.py [--epochs 2] [--data ./hymenoptera]
    tensorboard --logdir runs      # then look at runs/transfer_learning
"""
import argparse
import os

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim
from PIL import Image
from torch.optim import lr_scheduler
from torch.utils.tensorboard import SummaryWriter
from torchvision import datasets, models
from torchvision.transforms import v2

MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def write_stand_in(root, per_class=(16, 8)):
    rng = np.random.default_rng(0)
    tints = {"ants": (90, 30, 20), "bees": (90, 80, 0)}
    for split, n in zip(("train", "val"), per_class):
        for name, tint in tints.items():
            os.makedirs(os.path.join(root, split, name), exist_ok=True)
            for k in range(n):
                pixels = rng.integers(0, 150, (48, 56, 3)) + np.array(tint)
                Image.fromarray(pixels.astype(np.uint8)).save(
                    os.path.join(root, split, name, f"{k:03d}.png"))


def loaders(root, batch_size):
    train_tf = v2.Compose([v2.RandomResizedCrop(40), v2.RandomHorizontalFlip(), v2.ToImage(),
                           v2.ToDtype(torch.float32, scale=True), v2.Normalize(MEAN, STD)])
    val_tf = v2.Compose([v2.Resize(44), v2.CenterCrop(40), v2.ToImage(),
                         v2.ToDtype(torch.float32, scale=True), v2.Normalize(MEAN, STD)])
    sets = {"train": datasets.ImageFolder(os.path.join(root, "train"), train_tf),
            "val": datasets.ImageFolder(os.path.join(root, "val"), val_tf)}
    return {split: torch.utils.data.DataLoader(ds, batch_size=batch_size, shuffle=split == "train")
            for split, ds in sets.items()}, sets["train"].classes


def run_epoch(model, loader, criterion, optimizer, training):
    model.train(training)
    total_loss, correct, seen = 0.0, 0, 0
    for inputs, labels in loader:
        optimizer.zero_grad()
        with torch.set_grad_enabled(training):
            outputs = model(inputs)
            loss = criterion(outputs, labels)
            if training:
                loss.backward()
                optimizer.step()
        total_loss += loss.item() * inputs.size(0)
        correct += int((outputs.argmax(1) == labels).sum())
        seen += inputs.size(0)
    return total_loss / seen, correct / seen


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--data", default="./hymenoptera")
    ap.add_argument("--weights", default=None, help="a torchvision resnet18 state_dict (.pth)")
    ap.add_argument("--logdir", default="runs/transfer_learning")
    args = ap.parse_args()
    if not os.path.isdir(os.path.join(args.data, "train")):
        write_stand_in(args.data)
    torch.manual_seed(0)
    data, class_names = loaders(args.data, batch_size=8)
    print("classes:", class_names, {k: len(v.dataset) for k, v in data.items()})

    model = models.resnet18()
    if args.weights:
        model.load_state_dict(torch.load(args.weights, weights_only=True))
    for param in model.parameters():
        param.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, len(class_names))
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    print(f"trainable parameters: {trainable} of {sum(p.numel() for p in model.parameters())}")

    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.fc.parameters(), lr=0.01, momentum=0.9)
    scheduler = lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
    writer = SummaryWriter(log_dir=args.logdir)
    images, _ = next(iter(data["val"]))
    unnormalized = images * torch.tensor(STD).view(3, 1, 1) + torch.tensor(MEAN).view(3, 1, 1)
    writer.add_images("val/batch", unnormalized)
    for epoch in range(args.epochs):
        for split in ("train", "val"):
            loss, acc = run_epoch(model, data[split], criterion, optimizer, split == "train")
            writer.add_scalar(f"{split}/loss", loss, epoch)
            writer.add_scalar(f"{split}/accuracy", acc, epoch)
            print(f"epoch {epoch} {split:5s} loss: {loss:.4f} acc: {acc:.4f}")
        scheduler.step()
        writer.add_histogram("fc/weight", model.fc.weight, epoch)
    writer.add_hparams({"lr": 0.01, "epochs": args.epochs}, {"hparam/val_accuracy": acc})
    writer.close()
    print(f"TensorBoard logs written to {args.logdir}")


if __name__ == "__main__":
    main()
