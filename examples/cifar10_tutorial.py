"""The classic "Training a classifier" tutorial: CIFAR-10 through torchvision.datasets.CIFAR10
and torchvision.transforms, a small CNN trained with SGD+momentum, saved, reloaded and
evaluated per class.

When the real CIFAR-10 is not under --root, a small stand-in is generated there in CIFAR's
on-disk format (pickled batches of 3x32x32 uint8 rows and a batches.meta), with images whose
class brightens one colour channel, so the network has something to learn.

    python -m jtorch run examples/cifar10_tutorial.py [--epochs 2] [--root ./data]
"""
import argparse
import os
import pickle

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
import torchvision
import torchvision.transforms as transforms

classes = ('plane', 'car', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck')


class StandInCIFAR10(torchvision.datasets.CIFAR10):
    """CIFAR10 over generated batches: torchvision's md5 sums are the real archive's, so the
    stand-in is read with the checks off."""
    train_list = [[name, None] for name, _ in torchvision.datasets.CIFAR10.train_list]
    test_list = [[name, None] for name, _ in torchvision.datasets.CIFAR10.test_list]
    meta = {**torchvision.datasets.CIFAR10.meta, "md5": None}


def write_stand_in(root, per_batch=80, test_size=100):
    folder = os.path.join(root, StandInCIFAR10.base_folder)
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(0)
    names = [name for name, _ in StandInCIFAR10.train_list] + ["test_batch"]
    for name in names:
        n = test_size if name == "test_batch" else per_batch
        labels = rng.integers(0, 10, n)
        images = rng.integers(0, 128, (n, 3, 32, 32))
        for k in range(n):
            # class c lifts channel c % 3 by an amount that grows with c
            images[k, labels[k] % 3] += 12 * labels[k]
        batch = {"data": images.astype(np.uint8).reshape(n, 3072), "labels": labels.tolist()}
        with open(os.path.join(folder, name), "wb") as f:
            pickle.dump(batch, f, protocol=2)
    with open(os.path.join(folder, "batches.meta"), "wb") as f:
        pickle.dump({"label_names": list(classes)}, f, protocol=2)


def datasets(root, train_transform, test_transform):
    try:
        kind = torchvision.datasets.CIFAR10
        trainset = kind(root=root, train=True, transform=train_transform)
    except RuntimeError:  # "Dataset not found or corrupted": use the generated stand-in
        if not os.path.exists(os.path.join(root, StandInCIFAR10.base_folder, "batches.meta")):
            write_stand_in(root)
        kind = StandInCIFAR10
        trainset = kind(root=root, train=True, transform=train_transform)
    return trainset, kind(root=root, train=False, transform=test_transform)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def train(net, trainloader, epochs, log_every):
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(net.parameters(), lr=0.005, momentum=0.9)
    for epoch in range(epochs):
        running_loss = 0.0
        for i, (inputs, labels) in enumerate(trainloader, 0):
            optimizer.zero_grad()
            loss = criterion(net(inputs), labels)
            loss.backward()
            optimizer.step()
            running_loss += loss.item()
            if i % log_every == log_every - 1:
                print(f'[{epoch + 1}, {i + 1:5d}] loss: {running_loss / log_every:.3f}')
                running_loss = 0.0
    print('Finished Training')


def evaluate(net, testloader):
    correct_pred = {name: 0 for name in classes}
    total_pred = {name: 0 for name in classes}
    with torch.no_grad():
        for images, labels in testloader:
            predictions = net(images).argmax(1)
            for label, prediction in zip(labels, predictions):
                total_pred[classes[label]] += 1
                correct_pred[classes[label]] += int(label == prediction)
    total = sum(total_pred.values())
    print(f'Accuracy of the network on the {total} test images: '
          f'{100 * sum(correct_pred.values()) // total} %')
    for name in classes:
        accuracy = 100 * float(correct_pred[name]) / max(total_pred[name], 1)
        print(f'Accuracy for class: {name:5s} is {accuracy:.1f} %')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--root", default="./data")
    args = ap.parse_args()
    torch.manual_seed(0)
    normalize = transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))
    train_transform = transforms.Compose([transforms.RandomCrop(32, padding=4),
                                          transforms.RandomHorizontalFlip(),
                                          transforms.ToTensor(), normalize])
    test_transform = transforms.Compose([transforms.ToTensor(), normalize])
    trainset, testset = datasets(args.root, train_transform, test_transform)
    print(trainset)
    trainloader = torch.utils.data.DataLoader(trainset, batch_size=4, shuffle=True)
    testloader = torch.utils.data.DataLoader(testset, batch_size=4, shuffle=False)

    images, labels = next(iter(testloader))
    print('GroundTruth: ', ' '.join(f'{classes[labels[j]]:5s}' for j in range(4)))
    print('image batch:', tuple(images.shape), images.dtype, f'mean {images.mean().item():.4f}')

    net = Net()
    train(net, trainloader, args.epochs, log_every=25)
    path = './cifar_net.pth'
    torch.save(net.state_dict(), path)

    net = Net()
    net.load_state_dict(torch.load(path, weights_only=True))
    outputs = net(images)
    _, predicted = torch.max(outputs, 1)
    print('Predicted: ', ' '.join(f'{classes[predicted[j]]:5s}' for j in range(4)))
    evaluate(net, testloader)


if __name__ == "__main__":
    main()
