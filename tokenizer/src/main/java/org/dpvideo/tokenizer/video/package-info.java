/**
 * Reading and writing video: FFmpeg (through JavaCV) for mp4/avi/webm/mkv/gif, a RIFF parser and
 * compositor for animated WebP (frames decoded by TwelveMonkeys), PNG/JPEG images and frame folders;
 * {@link org.dpvideo.tokenizer.video.ClipSampler} turns any of them into a {@link
 * org.dpvideo.tokenizer.video.Clip} of a fixed {@link org.dpvideo.tokenizer.video.ClipSpec} with ND4J;
 * {@link org.dpvideo.tokenizer.video.VideoWriter} writes looping GIF and MP4.
 *
 * <p>Every input is validated (magic bytes, declared sizes against the file length, frame size, frame
 * count) before it reaches a native decoder, and every decoder failure becomes a
 * {@link org.dpvideo.tokenizer.video.VideoDecodeException} naming the file and the problem.
 */
package org.dpvideo.tokenizer.video;
