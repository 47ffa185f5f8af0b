/**
 * OkHttp through the half-open limiter: {@link io.halfopen.jdk.okhttp.HalfOpenOkHttp}. Needs OkHttp 5
 * ({@code com.squareup.okhttp3:okhttp-jvm}) on the class path; nothing else in {@code limiter-jdk} does.
 */
package io.halfopen.jdk.okhttp;
