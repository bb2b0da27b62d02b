namespace Sage.MLNet.Synthetic;

/// <summary>
/// Decides everything about a synthetic Aff-Wild2 copy before any file is written: video names and folders,
/// label trajectories, −5 stretches, missing crops and reliability stages, all from the seed.
/// </summary>
internal static class SyntheticCopyPlan
{
    private static readonly string[] s_videoFolders = ["batch1", "batch2", "new_vids"];

    // Rotating through the kinds video by video puts every kind in any four consecutive people, so even a tiny copy has them all.
    private static readonly SyntheticDegradation[] s_degradations =
        [SyntheticDegradation.FaceOccluded, SyntheticDegradation.AudioSilent, SyntheticDegradation.FaceBlurred, SyntheticDegradation.AudioNoise];

    /// <summary>Returns the videos in order: Train singles, the Train pair, Validation, Test.</summary>
    public static IReadOnlyList<SyntheticVideo> Create(SyntheticAffWild2Options options, int frames)
    {
        var hasPair = options.TrainVideos >= 2;
        var splits = Enumerable.Repeat((AffWild2Split.Train, People: 1), options.TrainVideos - (hasPair ? 2 : 0))
            .Concat(hasPair ? [(AffWild2Split.Train, 2)] : [])
            .Concat(Enumerable.Repeat((AffWild2Split.Validation, 1), options.ValidationVideos))
            .Concat(Enumerable.Repeat((AffWild2Split.Test, 1), options.TestVideos))
            .ToList();
        var rateLabel = (int)Math.Round(options.FramesPerSecond);
        var videos = new List<SyntheticVideo>();
        var personIndex = 0;
        for (var index = 0; index < splits.Count; index++)
        {
            var (split, count) = splits[index];
            var stem = $"{index + 1}-{rateLabel}-{SyntheticFrameLayout.Width}x{SyntheticFrameLayout.Height}";
            // Real copies keep the newer two-person videos' crops apart; every fourth video joins them so both folders are used.
            var cropFolder = count == 2 || index % 4 == 3 ? "cropped_aligned_new_50_vids" : "cropped_aligned";
            string[] ids = count == 2 ? [stem + "_left", stem + "_right"] : [stem];
            var people = ids.Select((id, i) => CreatePerson(options, frames, split, id, cropFolder, personIndex++, isSecondSpeaker: i == 1)).ToList();
            videos.Add(new SyntheticVideo(stem, s_videoFolders[index % s_videoFolders.Length], index == 1 ? ".avi" : ".mp4",
                people, SeedMixer.Mix(options.Seed, index, part: 1)));
        }
        return videos;
    }

    private static SyntheticPerson CreatePerson(SyntheticAffWild2Options options, int frames, AffWild2Split split, string id,
        string cropFolder, int personIndex, bool isSecondSpeaker)
    {
        var random = new Random(SeedMixer.Mix(options.Seed, personIndex));
        var valence = SmoothTrajectory.Create(random, frames, options.FramesPerSecond);
        var arousal = SmoothTrajectory.Create(random, frames, options.FramesPerSecond);
        var notAnnotated = personIndex % 2 == 0 && frames >= 20 ? NotAnnotatedStretch(random, frames) : new Range(0, 0);
        var missingCrops = new SortedSet<int>();
        var missingCount = Math.Max(1, frames / 50);
        while (missingCrops.Count < Math.Min(missingCount, frames - 1))
        {
            missingCrops.Add(random.Next(frames - 1));
        }
        return new SyntheticPerson(id, split, valence, arousal, notAnnotated, missingCrops, cropFolder,
            Stages(random, frames, options.FramesPerSecond, personIndex, isSecondSpeaker));
    }

    /// <summary>Returns one stretch of about a twelfth of the video, as where annotators skipped frames.</summary>
    private static Range NotAnnotatedStretch(Random random, int frames)
    {
        var length = Math.Max(3, frames / 12);
        var start = random.Next(frames - length + 1);
        return new Range(start, start + length);
    }

    /// <summary>
    /// Returns clean and degraded stretches in turn, starting clean, each an eighth to a quarter of the video long but
    /// no shorter than 8 frames and no longer than 2 to 5 s. The second person of a pair gets only face stages, plus
    /// the whole video as another speaker's audio.
    /// </summary>
    private static List<ReliabilityStage> Stages(Random random, int frames, double framesPerSecond, int personIndex, bool isSecondSpeaker)
    {
        var shortest = Math.Max(Math.Min(8, frames), Math.Min(frames / 8, (int)(2 * framesPerSecond)));
        var longest = Math.Max(shortest, Math.Min(frames / 4, (int)(5 * framesPerSecond)));
        var stages = new List<ReliabilityStage>();
        var kind = personIndex;
        var stretches = ReliabilityStage.Stretches(random, frames, shortest, longest);
        for (var i = 1; i < stretches.Count; i += 2)       // clean first, then degraded and clean in turn
        {
            var degradation = s_degradations[kind++ % s_degradations.Length];
            if (isSecondSpeaker && degradation is SyntheticDegradation.AudioSilent or SyntheticDegradation.AudioNoise)
            {
                degradation = degradation == SyntheticDegradation.AudioSilent ? SyntheticDegradation.FaceOccluded : SyntheticDegradation.FaceBlurred;
            }
            stages.Add(new ReliabilityStage(stretches[i].FirstFrame, stretches[i].LastFrame, degradation));
        }
        if (isSecondSpeaker)
        {
            stages.Add(new ReliabilityStage(0, frames - 1, SyntheticDegradation.AudioOtherSpeaker));
        }
        return stages;
    }
}
