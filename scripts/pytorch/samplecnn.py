"""SampleCNN in PyTorch, laid out as CLMR's module (and robust-tagger's) is.

Built from a robust-tagger model config (`sampleCnn` fields), so its
state_dict names are exactly the ones robust-tagger checkpoints carry:
`sequential.{i}.0` conv, `.1` BatchNorm1d, `.2` ReLU, `.3` MaxPool1d, `fc`.
Used as the independent peer in the PyTorch parity test and benchmark.
"""
import torch
from torch import nn


class SampleCNN(nn.Module):
    def __init__(self, cfg, with_fc=True):
        super().__init__()
        first = cfg["firstChannels"]
        blocks = [nn.Sequential(nn.Conv1d(1, first, 3, stride=3), nn.BatchNorm1d(first), nn.ReLU())]
        ch = first
        for out in cfg["blockChannels"]:
            blocks.append(nn.Sequential(nn.Conv1d(ch, out, 3, padding=1), nn.BatchNorm1d(out), nn.ReLU(), nn.MaxPool1d(3, 3)))
            ch = out
        k = cfg["lastKernel"]
        blocks.append(nn.Sequential(nn.Conv1d(ch, ch, k, padding=1 if k == 3 else 0), nn.BatchNorm1d(ch), nn.ReLU()))
        self.sequential = nn.Sequential(*blocks)
        self.dropout = nn.Dropout(cfg.get("dropout", 0.0))
        self.fc = nn.Linear(ch, cfg["numClasses"]) if with_fc else None

    def forward(self, x):
        h = self.sequential(x.reshape(x.shape[0], 1, -1)).flatten(1)
        return self.fc(self.dropout(h)) if self.fc is not None else h
