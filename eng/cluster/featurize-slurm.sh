#!/usr/bin/env bash
# Featurises an Aff-Wild2 copy as a Slurm job array: each task fills its shard of one feature cache on shared storage.
#
#   sbatch eng/cluster/featurize-slurm.sh                        # 16 tasks, the #SBATCH lines below
#   sbatch --array=1-64 eng/cluster/featurize-slurm.sh           # any regular range works; the count is read from Slurm
#   sbatch eng/cluster/featurize-slurm.sh --image-size 224 --face-encoder /models/resnet50.onnx   # extra featurize options
#
# Each task prints which shard it is and how many videos that shard holds. Tasks may overlap or be requeued: a video
# another task is featurising is waited for, not computed twice, and a rerun computes only the videos still missing.
# Edit the three paths for your cluster; the data must be mounted at the same path on every node (the cache key holds it).
#SBATCH --job-name=sage-featurize
#SBATCH --array=1-16
#SBATCH --cpus-per-task=2
#SBATCH --mem=3G
#SBATCH --time=04:00:00
#SBATCH --requeue
#SBATCH --output=sage-featurize-%A_%a.log
set -euo pipefail

DATA=${SAGE_DATA:-/shared/Aff-Wild2}                        # the Aff-Wild2 copy
CACHE=${SAGE_CACHE:-/shared/sage-cache}                     # the feature cache, on storage every node writes (NFS, Lustre, BeeGFS …)
PROGRAM=${SAGE_PROGRAM:-/shared/sage/Sage.MLNet.Samples}    # the published sample program (README, "Featurising on a cluster")

# shellcheck disable=SC2086  # SAGE_PROGRAM may be a command with arguments, e.g. "dotnet /shared/sage/Sage.MLNet.Samples.dll"
exec $PROGRAM featurize --data "$DATA" --cache "$CACHE" "$@"
