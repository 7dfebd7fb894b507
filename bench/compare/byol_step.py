"""PyTorch reference of byol4j's BYOL training step, for `bench/run compare`.

The same step as byol4j's ByolStep, written as idiomatic PyTorch (nothing slowed down): online network
(backbone -> projector -> predictor) and target network (backbone -> projector, no gradient), both views through
both, the symmetric 2 - 2 cos loss, backward, LARS (biases and BatchNorm excluded from decay and adaptation,
trust 0.001, momentum 0.9, weight decay 1.5e-6), then the moving-average target update. Random inputs, so only
the step is timed. Prints one JSON object: pairs/s, the per-phase split, the fp32 matmul ceiling and peak RSS.

Usage: python3 byol_step.py BACKBONE SIDE CHANNELS BATCH HIDDEN OUT THREADS STEPS (BACKBONE as resnets.py names it)
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from resnets import resnet


def mlp(cin, hidden, out):
    return nn.Sequential(nn.Linear(cin, hidden), nn.BatchNorm1d(hidden), nn.ReLU(inplace=True), nn.Linear(hidden, out))


class Lars(torch.optim.Optimizer):
    def __init__(self, params, lr, momentum=0.9, weight_decay=1.5e-6, trust=1e-3):
        super().__init__(params, dict(lr=lr, momentum=momentum, weight_decay=weight_decay, trust=trust))

    @torch.no_grad()
    def step(self):
        for g in self.param_groups:
            for p in g["params"]:
                if p.grad is None:
                    continue
                d = p.grad
                if p.ndim > 1:  # not biases or BatchNorm
                    d = d.add(p, alpha=g["weight_decay"])
                    w, u = torch.norm(p), torch.norm(d)
                    if w > 0 and u > 0:
                        d = d.mul(g["trust"] * w / u)
                state = self.state[p]
                if "mu" not in state:
                    state["mu"] = torch.zeros_like(p)
                mu = state["mu"]
                mu.mul_(g["momentum"]).add_(d)
                p.add_(mu, alpha=-g["lr"])


def loss_fn(p, z):
    return 2 - 2 * (F.normalize(p, dim=1) * F.normalize(z, dim=1)).sum(dim=1)


def status_mib(key):
    """A memory figure of this process from /proc/self/status: VmHWM (peak RSS; getrusage's ru_maxrss would report
    the parent JVM's, Linux keeps it across exec), RssAnon or RssFile."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main():
    backbone, side, channels, batch, hidden, out, threads, steps = sys.argv[1:9]
    side, channels, batch, hidden, out, threads, steps = map(int, (side, channels, batch, hidden, out, threads, steps))
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    f, feat = resnet(backbone, channels)
    online = nn.ModuleDict(dict(f=f, g=mlp(feat, hidden, out), q=mlp(out, hidden, out)))
    ft, _ = resnet(backbone, channels)
    target = nn.ModuleDict(dict(f=ft, g=mlp(feat, hidden, out)))
    target.load_state_dict({k: v for k, v in online.state_dict().items() if not k.startswith("q.")})
    for p in target.parameters():
        p.requires_grad_(False)
    opt = Lars(online.parameters(), lr=0.5)
    pairs = [(torch.rand(batch, channels, side, side), torch.rand(batch, channels, side, side)) for _ in range(4)]
    online_params = [p for n, p in online.named_parameters() if not n.startswith("q.")]
    target_params = list(target.parameters())
    phases = dict(TARGET_FORWARD=0.0, FORWARD=0.0, BACKWARD=0.0, OPTIMISER=0.0, AFTER_STEP=0.0)
    warmup = 5
    for k in range(warmup + steps):
        x1, x2 = pairs[k % len(pairs)]
        t0 = time.perf_counter()
        with torch.no_grad():
            z1t = target.g(target.f(x1))
            z2t = target.g(target.f(x2))
        t1 = time.perf_counter()
        p1 = online.q(online.g(online.f(x1)))
        p2 = online.q(online.g(online.f(x2)))
        loss = (loss_fn(p1, z2t) + loss_fn(p2, z1t)).mean()
        t2 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        t3 = time.perf_counter()
        opt.step()
        t4 = time.perf_counter()
        with torch.no_grad():
            torch._foreach_mul_(target_params, 0.99)
            torch._foreach_add_(target_params, online_params, alpha=0.01)
        t5 = time.perf_counter()
        if k >= warmup:
            for name, dt in zip(phases, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)):
                phases[name] += dt
    step_seconds = sum(phases.values()) / steps
    a = torch.rand(2048, 2048)
    b = torch.rand(2048, 2048)
    for _ in range(3):
        torch.mm(a, b)
    t0 = time.perf_counter()
    reps = 10
    for _ in range(reps):
        torch.mm(a, b)
    gflops = 2 * 2048 ** 3 * reps / (time.perf_counter() - t0) / 1e9
    print(json.dumps(dict(
        side="pytorch " + torch.__version__,
        pairs_per_second=batch / step_seconds,
        ms_per_step={k: 1000 * v / steps for k, v in phases.items()},
        matmul_gflops=gflops,
        peak_rss_mib=status_mib("VmHWM"),
        rss_anon_mib=status_mib("RssAnon"),
        rss_file_mib=status_mib("RssFile"),
        threads=torch.get_num_threads(),
    )))


if __name__ == "__main__":
    main()
