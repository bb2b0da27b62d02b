// Torch and ONNX Runtime tests each use every core; running them side by side on a small machine
// slows them by an order of magnitude (see measured baselines), so tests run one at a time.
[assembly: DoNotParallelize]
