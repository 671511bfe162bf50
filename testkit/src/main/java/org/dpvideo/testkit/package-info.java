/** Test support shared by every module's tests: fixtures and test tiers. Never a runtime dependency. */
package org.dpvideo.testkit;
