using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Sage.MLNet.Samples.Web;

/// <summary>
/// Streams the <c>video</c> field of a <c>multipart/form-data</c> request straight into a file, never holding the video in
/// memory and stopping as soon as it passes the size limit.
/// </summary>
internal static class UploadReader
{
    /// <summary>The multipart field that carries the video.</summary>
    public const string FieldName = "video";

    /// <summary>Room for the multipart boundaries and headers around the video, in bytes, on top of the video limit.</summary>
    public const long MultipartOverhead = 64 * 1024;

    /// <summary>Returns the upload saved into <paramref name="folder"/>.</summary>
    /// <exception cref="UploadRejectedException">The request is not multipart, has no <c>video</c> field, is empty, too large or cut short.</exception>
    public static async Task<Upload> SaveAsync(HttpRequest request, string folder, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes + MultipartOverhead)
        {
            throw TooLarge(maxBytes);
        }
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Length == 0)
        {
            throw new UploadRejectedException(StatusCodes.Status400BadRequest,
                $"expected a multipart/form-data body with the video in the field '{FieldName}', got Content-Type '{request.ContentType}'");
        }
        var reader = new MultipartReader(HeaderUtilities.RemoveQuotes(type.Boundary).ToString(), request.Body);
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !HeaderUtilities.RemoveQuotes(disposition.Name).Equals(FieldName, StringComparison.Ordinal))
                {
                    continue;   // the reader skips the rest of a section it is not asked to read
                }
                var name = ClientFileName(disposition);
                var path = Path.Combine(folder, "upload" + SafeExtension(name));
                var bytes = await CopyAsync(section.Body, path, maxBytes, cancellationToken).ConfigureAwait(false);
                return bytes > 0
                    ? new Upload(path, name, bytes)
                    : throw new UploadRejectedException(StatusCodes.Status400BadRequest, $"the uploaded video '{name}' is empty");
            }
        }
        catch (BadHttpRequestException e)
        {
            throw e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TooLarge(maxBytes)
                : new UploadRejectedException(StatusCodes.Status400BadRequest, $"the request body could not be read: {e.Message}");
        }
        catch (Exception e) when (e is IOException or InvalidDataException && !cancellationToken.IsCancellationRequested)
        {
            // MultipartReader's words for a body cut short or a malformed part.
            throw new UploadRejectedException(StatusCodes.Status400BadRequest, $"the multipart body is malformed or cut short: {e.Message}");
        }
        throw new UploadRejectedException(StatusCodes.Status400BadRequest, $"the multipart body has no field named '{FieldName}'");
    }

    private static async Task<long> CopyAsync(Stream source, string path, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long total = 0;
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1, useAsync: true);
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                throw TooLarge(maxBytes);
            }
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
        }
        return total;
    }

    private static UploadRejectedException TooLarge(long maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, $"the upload is larger than this server's limit of {maxBytes / (1024.0 * 1024):0.#} MB");

    private static string ClientFileName(ContentDispositionHeaderValue disposition)
    {
        var given = HeaderUtilities.RemoveQuotes(disposition.FileNameStar).ToString() is { Length: > 0 } star
            ? star
            : HeaderUtilities.RemoveQuotes(disposition.FileName).ToString();
        // Only the last segment, and nothing that would break a one-line message.
        var name = given.Replace('\\', '/').Split('/').LastOrDefault(s => s.Length > 0) ?? "";
        name = new string([.. name.Where(c => !char.IsControl(c))]);
        return name.Length > 0 ? name : FieldName;
    }

    /// <summary>Returns the client's extension when it is short and plain (ffmpeg reads the contents, but a right extension helps it guess), else none.</summary>
    private static string SafeExtension(string name)
    {
        var extension = Path.GetExtension(name);
        return extension.Length is > 1 and <= 6 && extension.Skip(1).All(char.IsAsciiLetterOrDigit) ? extension.ToLowerInvariant() : "";
    }
}
