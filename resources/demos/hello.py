# A first demo: runs the same on a micro:bit, a Pico and your laptop.
print("Hello from Presenter!")
for count in range(3):
    print("counting", count)
