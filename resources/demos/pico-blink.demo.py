# %% demo: Pico: blink, then measure
# %% length: 10 min
# %% mode: pico
# %% file: main.py
# %% note: A Raspberry Pi Pico with MicroPython, on USB.
# %% note: Run sends the code without saving it on the board.

# %% step: Light the LED
# %% run
# %% note: "LED" names the on-board LED on both the Pico and the Pico W.
from machine import Pin
import time

led = Pin("LED", Pin.OUT)
led.on()

# %% step: Blink
# %% run
# %% note: toggle() flips it; the loop runs until Stop.

while True:
    led.toggle()
    time.sleep(0.5)

# %% step: Read the temperature sensor
# %% after: led.on()
# %% note: ADC 4 is the chip's own temperature sensor.
# %% note: The formula is from the RP2040 datasheet (section 4.9.5).

from machine import ADC

sensor = ADC(4)


def celsius():
    volts = sensor.read_u16() * 3.3 / 65535
    return 27 - (volts - 0.706) / 0.001721

# %% step: Plot it while blinking
# %% after: led.toggle()
# %% run
# %% note: A tuple per line: the Plotter (Ctrl+Shift+P) draws it live.
# %% note: Put a finger on the chip and watch the line climb.
    print((celsius(),))
