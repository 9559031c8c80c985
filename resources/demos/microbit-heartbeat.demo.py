# %% demo: micro:bit: a heart that beats and listens
# %% length: 10 min
# %% mode: microbit
# %% file: main.py
# %% note: Plug in the micro:bit before the talk; Presenter finds it on USB.
# %% note: Run sends the code to the board without touching its files.

# %% step: Show a heart
# %% run
# %% note: The 5x5 LEDs are the display; Image has dozens of built-in pictures.
from microbit import *

display.show(Image.HEART)

# %% step: Make it beat
# %% replace: display.show(Image.HEART)
# %% run
# %% note: A loop that never ends is normal on a micro:bit: it IS the program.
# %% note: Stop (Shift+F5) interrupts it.
while True:
    display.show(Image.HEART)
    sleep(500)
    display.show(Image.HEART_SMALL)
    sleep(500)

# %% step: Listen to button A
# %% after: while True:
# %% run
# %% note: Press A on the board: a smile instead of a beat.
    if button_a.is_pressed():
        display.show(Image.HAPPY)
        sleep(1000)

# %% step: Print what it feels
# %% after: while True:
# %% run
# %% note: Tilt the board. print() goes over USB to the output pane,
# %% note: and a tuple of numbers is what the Plotter draws (Ctrl+Shift+P).
    print((accelerometer.get_x(), accelerometer.get_y()))
