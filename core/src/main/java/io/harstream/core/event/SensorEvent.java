package io.harstream.core.event;

import io.harstream.core.data.Sample;

/**
 * One live accelerometer reading on the {@code sensor-events} topic (key = device id).
 * JSON: {@code {"device":"d1","ts":1732860000000,"x":0.1,"y":9.7,"z":0.3,"activity":"Walking"}},
 * {@code activity} optional.
 *
 * @param device   device id, equal to the record key
 * @param ts       epoch milliseconds when the sample was taken
 * @param activity the true activity when known (the simulator knows it), else null
 */
public record SensorEvent(String device, long ts, float x, float y, float z, String activity) {

    public Sample toSample() {
        return new Sample(ts, x, y, z, activity);
    }
}
