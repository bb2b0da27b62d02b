namespace Sage.MLNet.Samples.Web;

/// <summary>
/// Admits at most <c>jobs + queue</c> requests at a time and lets <c>jobs</c> of them predict at once; the rest wait in
/// arrival order. A request beyond that is refused at once, before its upload is read, so disk use is bounded too.
/// </summary>
internal sealed class JobGate : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly int _capacity;
    private int _admitted;
    private int _running;
    private double _meanJobSeconds = 5;     // a guess until the first job ends, for Retry-After

    /// <summary>Creates a gate for <paramref name="jobs"/> simultaneous predictions and <paramref name="queue"/> waiting requests.</summary>
    public JobGate(int jobs, int queue)
    {
        Jobs = jobs;
        _capacity = jobs + queue;
        _slots = new SemaphoreSlim(jobs, jobs);
    }

    /// <summary>Gets how many predictions may run at once.</summary>
    public int Jobs { get; }

    /// <summary>Gets how many requests are predicting now.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Gets how many admitted requests are not predicting (uploading or waiting for a slot).</summary>
    public int Waiting => Math.Max(0, Volatile.Read(ref _admitted) - Running);

    /// <summary>Returns a ticket for a new request, or null when the gate is full.</summary>
    public Ticket? TryEnter()
    {
        if (Interlocked.Increment(ref _admitted) <= _capacity)
        {
            return new Ticket(this);
        }
        Interlocked.Decrement(ref _admitted);
        return null;
    }

    /// <summary>Returns the seconds a refused client should wait: the mean job time for each round of jobs ahead of it.</summary>
    public int RetryAfterSeconds()
    {
        var rounds = Math.Ceiling((Volatile.Read(ref _admitted) + 1) / (double)Jobs);
        return (int)Math.Clamp(Math.Ceiling(rounds * Volatile.Read(ref _meanJobSeconds)), 1, 3600);
    }

    /// <inheritdoc/>
    public void Dispose() => _slots.Dispose();

    private void Finished(TimeSpan took)
    {
        // A running mean that forgets slowly: the last twenty jobs or so.
        var mean = Volatile.Read(ref _meanJobSeconds);
        Volatile.Write(ref _meanJobSeconds, mean + (took.TotalSeconds - mean) / 20);
    }

    /// <summary>One admitted request: waits for a slot, holds it while predicting, and gives back both when disposed.</summary>
    public sealed class Ticket : IDisposable
    {
        private readonly JobGate _gate;
        private long _startedAt;
        private int _disposed;

        internal Ticket(JobGate gate) => _gate = gate;

        /// <summary>Waits until a prediction slot is free, in arrival order.</summary>
        public async Task WaitForSlotAsync(CancellationToken cancellationToken)
        {
            await _gate._slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _gate._running);
            _startedAt = Environment.TickCount64;
        }

        /// <summary>Gives back the slot (if this ticket got one) and the admission.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }
            if (_startedAt != 0)
            {
                _gate.Finished(TimeSpan.FromMilliseconds(Environment.TickCount64 - _startedAt));
                Interlocked.Decrement(ref _gate._running);
                _gate._slots.Release();
            }
            Interlocked.Decrement(ref _gate._admitted);
        }
    }
}
