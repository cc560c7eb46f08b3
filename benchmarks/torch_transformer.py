"""The Transformer benchmark's architecture in PyTorch (CPU), as train.transformer builds it: token embedding plus
learned positions (context 100), 2 pre-layer-norm blocks of causal 4-head self-attention and a GELU feed-forward layer
(4 x 64), final layer norm, linear + softmax over 4 states; Adam 1e-3, windows of 100 frames, batches of 64.
Generation recomputes the sliding window of the last 100 frames at every step (no key/value cache), as SlowDyn does.
Prints RESULT lines like NeuralBenchmark.java.
  python3 torch_transformer.py THREADS"""
import sys
import time

import torch

from torch_chain import chain

threads = int(sys.argv[1])
torch.set_num_threads(threads)
torch.manual_seed(1)
STATES, WIDTH, HEADS, BLOCKS, CONTEXT = 4, 64, 4, 2, 100


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.tokens = torch.nn.Embedding(STATES, WIDTH)
        self.positions = torch.nn.Parameter(torch.randn(CONTEXT, WIDTH) * 0.1)
        layer = torch.nn.TransformerEncoderLayer(WIDTH, HEADS, 4 * WIDTH, dropout=0.0, activation="gelu",
                                                 batch_first=True, norm_first=True)
        self.blocks = torch.nn.TransformerEncoder(layer, BLOCKS)
        self.norm = torch.nn.LayerNorm(WIDTH)
        self.out = torch.nn.Linear(WIDTH, STATES)

    def forward(self, x):
        n = x.shape[1]
        mask = torch.triu(torch.full((n, n), float("-inf")), diagonal=1)
        h = self.tokens(x) + self.positions[:n]
        return self.out(self.norm(self.blocks(h, mask=mask)))


model = Model()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = torch.nn.CrossEntropyLoss()
batches = 20
data = chain(64 * batches, 101)


def epoch(n):
    for b in range(n):
        w = data[b * 64:(b + 1) * 64]
        loss = loss_fn(model(w[:, :-1]).reshape(-1, STATES), w[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()


epoch(3)  # warm-up
t0 = time.perf_counter()
epoch(batches)
seconds = time.perf_counter() - t0
tokens = 64.0 * batches * 100
print(f"RESULT\ttorch-train-tokens\tgpt\t{threads}\t{seconds / tokens:.4g}\t{tokens / seconds:.1f}")

model.eval()
with torch.no_grad():
    for parallel in (1, 100):
        length = 1000 if parallel == 1 else 200

        def generate(steps):
            x = torch.arange(parallel).remainder(STATES).unsqueeze(1)
            for _ in range(steps - 1):
                logits = model(x[:, -CONTEXT:])
                x = torch.cat([x, torch.multinomial(torch.softmax(logits[:, -1], dim=-1), 1)], dim=1)

        generate(max(2, length // 5))
        t0 = time.perf_counter()
        generate(length)
        seconds = time.perf_counter() - t0
        tokens = parallel * (length - 1.0)
        print(f"RESULT\ttorch-generate-{parallel}\tgpt\t{threads}\t{seconds / tokens:.4g}\t{tokens / seconds:.1f}")
sys.stdout.flush()
