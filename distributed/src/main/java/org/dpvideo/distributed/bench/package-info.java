/** The {@code dpvideo bench distributed} command and the CLI extension that registers it. */
package org.dpvideo.distributed.bench;
